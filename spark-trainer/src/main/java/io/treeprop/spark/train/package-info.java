/**
 * The distributed step loop: broadcast, per-partition gradients, {@code treeAggregate}, the driver update;
 * validation, early stopping, checkpoints and listeners.
 */
package io.treeprop.spark.train;
