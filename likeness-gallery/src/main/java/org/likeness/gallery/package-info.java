/** Galleries opened for search ({@code Gallery}): a store's gallery and its index, kept current with every process's changes. */
package org.likeness.gallery;
