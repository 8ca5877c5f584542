/**
 * Scale-out on Apache Spark: the scan pipeline (photos batched, long videos split into time
 * segments and stitched) run on a cluster's executors with one engine per executor JVM, decisions
 * made against a broadcast gallery by the same rules as a local scan, sightings written to Parquet
 * and imported home as scans.
 */
package org.likeness.spark;
