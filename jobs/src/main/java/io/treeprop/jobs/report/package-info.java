/**
 * Evaluation reports: {@link io.treeprop.jobs.report.ConfusionMatrix} and
 * {@link io.treeprop.jobs.report.RegressionStats} accumulate scored rows in one mergeable pass (one
 * {@code treeAggregate} over the scored data), {@link io.treeprop.jobs.report.ClassificationReport} and
 * {@link io.treeprop.jobs.report.RegressionReport} turn them into metrics, and
 * {@link io.treeprop.jobs.report.Report} writes {@code metrics.json}, the learning curves and confusion matrix as
 * PNG (rendered headless) and {@code summary.txt} into a directory on any Hadoop path, atomically. For images,
 * {@link io.treeprop.jobs.report.MisclassifiedImages} (a classifier's most confident mistakes) and
 * {@link io.treeprop.jobs.report.ReconstructionGrid} (an autoencoder's inputs, noisy inputs and reconstructions,
 * whose error is a {@link io.treeprop.jobs.report.ReconstructionReport}) are drawn by
 * {@link io.treeprop.jobs.report.ImageTiles} from the data's own pixels.
 */
package io.treeprop.jobs.report;
