package org.likeness.server.auth;

/** What a key may do; each role includes the ones below it. */
public enum Role {
  /** List galleries and subjects. */
  READ,
  /** READ, plus detect, verify, identify, embed. */
  SEARCH,
  /** SEARCH, plus enrol, move and merge. */
  ENROLL,
  /** Everything: key management, deletion, audit export. */
  ADMIN;

  /** Whether this role includes {@code needed}. */
  public boolean allows(Role needed) {
    return ordinal() >= needed.ordinal();
  }
}
