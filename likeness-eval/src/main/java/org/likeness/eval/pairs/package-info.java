/** Verification protocols: LFW {@code pairs.txt} and CSV pair lists, and their scoring. */
package org.likeness.eval.pairs;
