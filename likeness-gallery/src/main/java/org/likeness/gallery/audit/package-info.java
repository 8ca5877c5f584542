/** The hash-chained audit trail of every operation, shared by every front end. */
package org.likeness.gallery.audit;
