/** Template search: vector storage, exact / int8 / HNSW searchers, the graph refresher and its saved directory. */
package org.likeness.gallery.search;
