/**
 * Training on one JVM: the batch {@link io.treeprop.core.train.Objective} shared with the Spark trainer, the
 * reference {@link io.treeprop.core.train.LocalTrainer}, early stopping, metrics and Rosenblatt's perceptron rule.
 */
package io.treeprop.core.train;
