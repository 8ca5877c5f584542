/** Evaluation figures: ROC, EER, AUC, TAR@FAR, k-fold accuracy, CMC, FNIR@FPIR. */
package org.likeness.eval.metrics;
