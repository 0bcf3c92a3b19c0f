package io.treeprop.jobs.config;

import io.treeprop.core.optim.Schedule;

/**
 * The learning-rate schedule a job asks for ({@code training.schedule}). Most schedules are fixed core
 * {@link Schedule}s; cosine decay "over the whole run" ({@code cosine}, or {@code {type: cosine}} without
 * {@code totalSteps}, optionally inside a {@code warmup}) needs the number of steps, which is known only once the
 * training data has been counted: {@link #resolve} supplies it.
 */
public sealed interface ScheduleSpec {
  /** The core schedule for a run of {@code totalSteps} optimizer steps. */
  Schedule resolve(long totalSteps);

  /** A schedule that does not depend on the run's length. */
  record Fixed(Schedule schedule) implements ScheduleSpec {
    public Fixed {
      if (schedule == null) {
        throw new IllegalArgumentException("training.schedule is required");
      }
    }

    @Override
    public Schedule resolve(long totalSteps) {
      return schedule;
    }
  }

  /**
   * Cosine decay from the base rate to {@code minRate} ending at the run's last step, after {@code warmupSteps}
   * steps of linear warm-up (0 for none).
   */
  record CosineOverRun(double minRate, long warmupSteps) implements ScheduleSpec {
    public CosineOverRun {
      new Schedule.Cosine(1, minRate);
      if (warmupSteps != 0) {
        new Schedule.Warmup(warmupSteps, null);
      }
    }

    /**
     * @throws IllegalArgumentException when the warm-up leaves no step for the decay
     */
    @Override
    public Schedule resolve(long totalSteps) {
      long decay = totalSteps - warmupSteps;
      if (decay < 1) {
        throw new IllegalArgumentException("training.schedule: the warm-up (" + warmupSteps + " steps) leaves no "
            + "step of the run (" + totalSteps + " steps) for the cosine decay; use fewer warm-up steps");
      }
      Schedule cosine = new Schedule.Cosine(decay, minRate);
      return warmupSteps == 0 ? cosine : new Schedule.Warmup(warmupSteps, cosine);
    }
  }
}
