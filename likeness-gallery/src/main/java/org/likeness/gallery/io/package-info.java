/** The versioned gallery archive format (export and import). */
package org.likeness.gallery.io;
