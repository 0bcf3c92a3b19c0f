/**
 * Losses: MSE, MAE, smooth L1 (Huber), binary and categorical cross-entropy (fused with sigmoid/softmax),
 * multiclass margin, hinge and the perceptron criterion.
 */
package io.treeprop.core.loss;
