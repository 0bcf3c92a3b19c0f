/**
 * Optimizers (configuration) with their state kept apart, learning-rate schedules, and the {@link
 * io.treeprop.core.optim.Updater} that applies clipping, L2 decay and the optimizer in one step.
 */
package io.treeprop.core.optim;
