/** Validating DataFrames and packing their partitions into cached float32 blocks. */
package io.treeprop.spark.data;
