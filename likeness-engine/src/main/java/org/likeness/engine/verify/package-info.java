/** 1:1 verification and the impostor model that turns scores into false-match rates. */
package org.likeness.engine.verify;
