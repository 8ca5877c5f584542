/** Open-set identification: candidates per subject, the decision, false-match rates. */
package org.likeness.gallery.match;
