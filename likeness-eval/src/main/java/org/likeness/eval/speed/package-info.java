/** Speed benchmarks of the engine and of gallery search. */
package org.likeness.eval.speed;
