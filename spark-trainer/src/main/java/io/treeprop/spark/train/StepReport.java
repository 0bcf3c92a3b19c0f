package io.treeprop.spark.train;

/**
 * One finished step, as listeners see it.
 *
 * @param stepInEpoch 0-based step within the epoch
 * @param step global optimizer step count after this step
 * @param loss mean loss of this step's batch
 * @param accuracy batch accuracy, or null for regression
 * @param rows rows in this step's global batch
 */
public record StepReport(int epoch, int epochs, int stepInEpoch, int stepsPerEpoch, long step, double loss,
    Double accuracy, long rows, double learningRate, StepTiming timing) {}
