/**
 * Distributed 1:N search for galleries too large for one machine: templates cut into spherical
 * k-means cells (the cells are Spark's partitions and the Parquet layout), each probe sent to its
 * nearest cells and scored exactly there.
 */
package org.likeness.spark.search;
