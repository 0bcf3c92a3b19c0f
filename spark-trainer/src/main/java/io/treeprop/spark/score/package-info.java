/** Batch scoring over blocks of rows: one forward pass (one sgemm per layer) per block, never per row. */
package io.treeprop.spark.score;
