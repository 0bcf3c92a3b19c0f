/**
 * Data sources for the jobs: {@link io.treeprop.jobs.data.DataSource} reads IDX, LIBSVM, CSV and Parquet from any
 * Hadoop path into a checked DataFrame of {@code features} (vectors) and {@code label};
 * {@link io.treeprop.jobs.data.Scaling} and {@link io.treeprop.jobs.data.LabelMapping} are fitted on the training
 * data and stored in the model's metadata, so evaluation and scoring transform their data the same way.
 */
package io.treeprop.jobs.data;
