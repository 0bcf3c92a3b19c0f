/** Batch scoring of data sets with a saved model, and writing the scores. */
package io.treeprop.jobs.score;
