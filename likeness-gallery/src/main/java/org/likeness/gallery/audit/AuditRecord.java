package org.likeness.gallery.audit;

/**
 * One audit record. {@code inputs} and {@code results} are JSON text exactly as hashed;
 * {@code hash} = SHA-256 over the other fields and {@code prev}, the hash of the record before.
 */
public record AuditRecord(long seq, String time, String keyId, String operation, String gallery, String inputs,
    String results, String prev, String hash) {}
