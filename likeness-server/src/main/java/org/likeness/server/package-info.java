/** The REST server ({@code LikenessServer}): route groups joined into one table, wired explicitly. */
package org.likeness.server;
