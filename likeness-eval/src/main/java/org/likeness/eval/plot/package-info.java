/** PNG charts of ROC and CMC curves. */
package org.likeness.eval.plot;
