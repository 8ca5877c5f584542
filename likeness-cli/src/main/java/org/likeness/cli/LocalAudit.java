package org.likeness.cli;

import java.util.Map;
import org.likeness.server.audit.AuditLog;

/**
 * Appends the CLI's gallery operations (identify, enrol, subject changes, deletions, exports) to
 * the installation's audit trail, as the server does for API calls. The actor is the local account
 * ({@code local:<user>}): a shell user needs no API key, but is accounted for all the same. The
 * record is written before the result is printed, so a search whose record cannot be written has
 * no answer either.
 */
final class LocalAudit {
  private LocalAudit() {}

  static String actor() {
    return "local:" + System.getProperty("user.name", "unknown");
  }

  static void append(Map<String, String> env, String operation, String gallery, Map<String, ?> inputs, Map<String, ?> results) {
    try (AuditLog log = AuditLog.open(Home.of(env))) {
      log.append(actor(), operation, gallery, inputs, results);
    }
  }
}
