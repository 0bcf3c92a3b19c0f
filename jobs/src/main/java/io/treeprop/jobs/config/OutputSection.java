package io.treeprop.jobs.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code output} section: where a training job writes. Paths are local or Hadoop paths.
 *
 * @param model the model directory; required
 * @param report the evaluation report directory; null for none
 * @param metrics a JSON-lines file of per-step and per-epoch metrics; null for none
 * @param overwrite whether existing outputs may be replaced (otherwise an existing output is an error)
 */
public record OutputSection(String model, String report, String metrics, boolean overwrite) {
  public static final boolean DEFAULT_OVERWRITE = false;

  static final List<String> KEYS = List.of("model", "report", "metrics", "overwrite");

  public OutputSection {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("output.model (\"" + model + "\") must be the directory to save the model "
          + "to, e.g. out/my-job/model");
    }
    notBlank("report", report);
    notBlank("metrics", metrics);
  }

  static OutputSection read(Node out) {
    String model = out.string("model", "the directory to save the model to, e.g. out/my-job/model");
    String report = out.optString("report");
    String metrics = out.optString("metrics");
    boolean overwrite = out.optBoolean("overwrite", DEFAULT_OVERWRITE);
    return out.build(() -> new OutputSection(model, report, metrics, overwrite), "output");
  }

  /** The section as plain values, every default written out. */
  Map<String, Object> render() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", model);
    DataSection.putIfSet(m, "report", report);
    DataSection.putIfSet(m, "metrics", metrics);
    m.put("overwrite", overwrite);
    return m;
  }

  private static void notBlank(String key, String value) {
    if (value != null && value.isBlank()) {
      throw new IllegalArgumentException("output." + key + " is blank; give a path or leave it out");
    }
  }
}
