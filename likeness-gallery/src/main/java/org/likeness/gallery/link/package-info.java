/** Linking the tracks of one video that show one person, and carrying a name along the links. */
package org.likeness.gallery.link;
