package io.treeprop.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How a model was trained: the per-epoch history and how it ended.
 *
 * @param bestEpoch the epoch whose weights the model holds (1-based), or null when the last one
 * @param stopReason e.g. "completed 10 epochs" or "early stopping: validation_loss did not improve for 3 epochs"
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingSummary(List<EpochMetrics> epochs, Integer bestEpoch, String stopReason, long steps,
    double seconds) {
  public TrainingSummary {
    epochs = epochs == null ? List.of() : List.copyOf(epochs);
  }
}
