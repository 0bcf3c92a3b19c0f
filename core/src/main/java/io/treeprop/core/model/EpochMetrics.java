package io.treeprop.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What one epoch measured. Accuracy fields are null for regression; validation fields are null without a
 * validation set.
 *
 * @param trainLoss mean training loss over the epoch's batches, as seen during the epoch
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EpochMetrics(int epoch, long step, double trainLoss, Double trainAccuracy, Double validationLoss,
    Double validationAccuracy, double learningRate, double seconds) {}
