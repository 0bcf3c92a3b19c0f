package io.treeprop.jobs.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code spark} section: the master to run on and extra Spark settings. The caller picks the master when none
 * is given ({@code local[*]} in the embedded launcher; under {@code spark-submit}, whatever it was given).
 *
 * @param master e.g. {@code local[4]} or {@code spark://host:7077}; null leaves the choice to the caller
 * @param conf extra Spark settings, e.g. {@code spark.executor.memory -> 4g}; every key starts with {@code spark.}
 */
public record SparkSection(String master, Map<String, String> conf) {
  static final List<String> KEYS = List.of("master", "conf");

  public SparkSection {
    if (master != null && master.isBlank()) {
      throw new IllegalArgumentException("spark.master is blank; give a master URL such as local[4] or leave it "
          + "out");
    }
    conf = Collections.unmodifiableMap(new TreeMap<>(conf == null ? Map.of() : conf));
    for (String key : conf.keySet()) {
      if (!key.startsWith("spark.")) {
        throw new IllegalArgumentException("spark.conf." + key + ": Spark settings start with \"spark.\"; write "
            + "spark.conf { spark." + key + " = ... } or drop it");
      }
    }
  }

  /** No master (the caller's default) and no extra settings. */
  public static SparkSection defaults() {
    return new SparkSection(null, Map.of());
  }

  static SparkSection read(Node spark) {
    if (spark == null) {
      return defaults();
    }
    String master = spark.optString("master");
    Map<String, String> conf = spark.optFlatMap("conf");
    return spark.build(() -> new SparkSection(master, conf), "spark");
  }

  /** The section as plain values. */
  Map<String, Object> render() {
    Map<String, Object> m = new LinkedHashMap<>();
    DataSection.putIfSet(m, "master", master);
    m.put("conf", conf);
    return m;
  }
}
