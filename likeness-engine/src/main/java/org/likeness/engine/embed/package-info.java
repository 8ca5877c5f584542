/** Embeddings: aligned crops through the recogniser model into unit vectors. */
package org.likeness.engine.embed;
