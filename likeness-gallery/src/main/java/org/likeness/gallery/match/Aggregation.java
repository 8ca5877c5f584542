package org.likeness.gallery.match;

/** How one subject's several template scores become the subject's score. */
public enum Aggregation {
  /** The best template. */
  MAX,
  /** The mean of the best two templates (the best one when the subject has one): less swayed by one lucky template. */
  MEAN_TOP2
}
