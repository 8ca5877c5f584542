/**
 * Clustering unknown faces at scale: the neighbour graph's cells scored as Spark partitions, the
 * average linkage run on the driver from the edges, as {@code clusters rebuild} runs it.
 */
package org.likeness.spark.cluster;
