package io.treeprop.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import io.treeprop.core.loss.Loss;
import io.treeprop.core.model.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;

/**
 * A {@code treeprop tune} job: a job config with a {@link TuneSection}, expanded into its trials, each a complete
 * {@link JobConfig} with the trial's values in place of the tuned keys.
 *
 * <p>Every trial is built and validated here, before anything runs: a candidate that is not a valid value for its
 * key is an error naming the key, the value and the rule ({@code tune.grid.training.epochs = "ten":
 * training.epochs: expected an integer, got the string "ten" (at tune.conf line 9)}), and so is a combination that
 * is invalid only together.
 */
public final class TuneConfig {
  /** More trials than this is a search no one meant to run on one application; draw samples instead. */
  public static final int MAX_TRIALS = 10_000;

  private static final ConfigRenderOptions CONCISE = ConfigRenderOptions.concise();

  /**
   * One trial: the job with {@code values} in place of the tuned keys.
   *
   * @param number 1-based, in the grid's order (the last key varies fastest) or the order samples were drawn
   * @param values each tuned key's value in this trial, in the grid's key order
   */
  public record Trial(int number, Map<String, ConfigValue> values, JobConfig job) {
    /** A value as HOCON (JSON) text, e.g. {@code 0.003} or {@code [{"type":"dense","units":8}]}. */
    public String valueText(String key) {
      return values.get(key).render(CONCISE);
    }

    /** {@code key=value, key=value}. */
    public String describe() {
      return values.keySet().stream().map(k -> k + "=" + valueText(k)).collect(Collectors.joining(", "));
    }
  }

  private final TuneSection tune;
  private final List<Trial> trials;
  private final TuneSection.Metric metric;
  private final String dir;
  private final String fingerprint;

  private TuneConfig(TuneSection tune, List<Trial> trials, TuneSection.Metric metric) {
    this.tune = tune;
    this.trials = List.copyOf(trials);
    this.metric = metric;
    this.dir = tune.dir() != null ? tune.dir() : besideModel(trials.get(0).job().output().model());
    this.fingerprint = fingerprint(tune, this.trials, metric);
  }

  /**
   * Reads a tune job from a local or Hadoop path and applies the overrides ({@code --set tune.folds=5} works too).
   *
   * @throws IllegalArgumentException for anything wrong in the file, the overrides, the tune section or any trial
   */
  public static TuneConfig load(String path, List<String> overrides, Configuration hadoop) {
    (overrides == null ? List.<String>of() : overrides).forEach(Hocon::parseOverride);
    return of(Hocon.layer(Hocon.parseFile(path, hadoop), overrides == null ? List.of() : overrides));
  }

  /** Reads a tune job from HOCON text; {@code origin} names it in errors. */
  public static TuneConfig parse(String hocon, String origin, List<String> overrides) {
    return of(Hocon.layer(Hocon.parseText(hocon, origin), overrides == null ? List.of() : overrides));
  }

  private static TuneConfig of(Config c) {
    List<String> rootKeys = new ArrayList<>(JobConfig.KEYS);
    rootKeys.add(TuneSection.NAME);
    Node root = Node.root(c.root(), rootKeys);
    TuneSection tune = TuneSection.read(root.object(TuneSection.NAME, TuneSection.KEYS, "the tune section, e.g. "
        + "tune { grid { training.optimizer.learningRate = [1e-3, 3e-3] }, folds = 3 }"));
    Config base = c.withoutPath(TuneSection.NAME);
    List<String> keys = List.copyOf(tune.grid().keySet());
    // each candidate alone first (the other keys at their first candidate), so an error names one key and value
    for (String key : keys) {
      List<ConfigValue> candidates = tune.grid().get(key);
      for (ConfigValue v : candidates) {
        Map<String, ConfigValue> values = new LinkedHashMap<>();
        keys.forEach(k -> values.put(k, k.equals(key) ? v : tune.grid().get(k).get(0)));
        try {
          job(base, values);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(TuneSection.NAME + ".grid." + key + " = " + v.render(CONCISE) + ": "
              + e.getMessage(), e);
        }
      }
    }
    List<Trial> trials = new ArrayList<>();
    for (long index : indices(tune)) {
      Map<String, ConfigValue> values = combination(tune, keys, index);
      Trial t = new Trial(trials.size() + 1, values, null);
      try {
        trials.add(new Trial(t.number(), values, job(base, values)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("tune trial " + t.number() + " (" + t.describe() + "): " + e.getMessage(),
            e);
      }
    }
    return new TuneConfig(tune, trials, metric(tune, trials));
  }

  /** The job with {@code values} set, shorthands expanded after each (parents before children). */
  private static JobConfig job(Config base, Map<String, ConfigValue> values) {
    Config c = base;
    try {
      List<String> keys = new ArrayList<>(values.keySet());
      keys.sort(Comparator.comparingInt((String k) -> k.split("\\.").length).thenComparing(k -> k));
      for (String k : keys) {
        c = Hocon.expand(c.withValue(ConfigUtil.joinPath(List.of(k.split("\\."))), values.get(k)));
      }
    } catch (ConfigException e) {
      throw Hocon.translate(e);
    }
    return JobConfig.of(c);
  }

  /** The grid indices of the trials: all of them, or {@code samples} distinct ones drawn with the seed. */
  private static List<Long> indices(TuneSection tune) {
    long size = tune.gridSize();
    if (tune.samples() == 0) {
      if (size > MAX_TRIALS) {
        throw new IllegalArgumentException("tune.grid has " + size + " combinations, more than " + MAX_TRIALS
            + "; draw some with tune.samples = n, or tune fewer values");
      }
      List<Long> all = new ArrayList<>();
      for (long i = 0; i < size; i++) {
        all.add(i);
      }
      return all;
    }
    if (tune.samples() > size || tune.samples() > MAX_TRIALS) {
      throw new IllegalArgumentException("tune.samples (" + tune.samples() + ") must be at most the grid's " + size
          + " combinations (and " + MAX_TRIALS + "); lower it, or set 0 to run the whole grid");
    }
    Random random = new Random(tune.seed());
    Set<Long> drawn = new LinkedHashSet<>();
    while (drawn.size() < tune.samples()) {
      drawn.add(Math.floorMod(random.nextLong(), size));
    }
    return List.copyOf(drawn);
  }

  private static Map<String, ConfigValue> combination(TuneSection tune, List<String> keys, long index) {
    Map<String, ConfigValue> values = new LinkedHashMap<>();
    long rest = index;
    for (int i = keys.size() - 1; i >= 0; i--) {
      List<ConfigValue> candidates = tune.grid().get(keys.get(i));
      values.put(keys.get(i), candidates.get((int) (rest % candidates.size())));
      rest /= candidates.size();
    }
    Map<String, ConfigValue> ordered = new LinkedHashMap<>();
    keys.forEach(k -> ordered.put(k, values.get(k)));
    return ordered;
  }

  /** The metric: the configured one, which must suit every trial's task, or the task's default. */
  private static TuneSection.Metric metric(TuneSection tune, List<Trial> trials) {
    boolean classifies = trials.get(0).job().model().task() != Loss.Task.REGRESSION;
    for (Trial t : trials) {
      if (t.job().model().reconstruction()) {
        throw new IllegalArgumentException("tune: model.task = reconstruction is not tunable yet (trials are scored "
            + "by classification or regression metrics); tune a supervised job");
      }
      if ((t.job().model().task() != Loss.Task.REGRESSION) != classifies) {
        throw new IllegalArgumentException("tune trials 1 and " + t.number() + " train different tasks (one a "
            + "classifier, one a regression); one metric cannot compare them: tune model.loss within one task");
      }
    }
    TuneSection.Metric m = tune.metric();
    if (m == null) {
      return classifies ? TuneSection.Metric.ACCURACY : TuneSection.Metric.RMSE;
    }
    if (m.classification() != classifies) {
      List<String> fit = java.util.Arrays.stream(TuneSection.Metric.values())
          .filter(x -> x.classification() == classifies).map(TuneSection.Metric::jsonName).toList();
      throw new IllegalArgumentException("tune.metric: " + m.jsonName() + " measures " + (m.classification()
          ? "classifiers" : "regressions") + ", but model.loss " + trials.get(0).job().model().loss().name()
          + " trains " + (classifies ? "a classifier" : "a regression") + "; use one of " + String.join(", ", fit));
    }
    return m;
  }

  private static String besideModel(String model) {
    String m = model.replaceAll("/+$", "");
    int slash = m.lastIndexOf('/');
    return slash < 0 ? TuneSection.DEFAULT_DIR_NAME : m.substring(0, slash + 1) + TuneSection.DEFAULT_DIR_NAME;
  }

  /** What makes two tunes' results interchangeable: the trials' data, model and training, folds, seed, metric. */
  private static String fingerprint(TuneSection tune, List<Trial> trials, TuneSection.Metric metric) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.join("|", "folds=" + tune.folds(), "validationFraction=" + tune.validationFraction(),
        "seed=" + tune.seed(), "samples=" + tune.samples(), "metric=" + metric.jsonName(),
        "goal=" + tune.goalFor(metric).jsonName())).append('\n');
    for (Trial t : trials) {
      Map<String, Object> job = new LinkedHashMap<>();
      job.put("data", t.job().data().render());
      job.put("model", t.job().model().render());
      job.put("training", t.job().training().render());
      sb.append(t.number()).append(' ').append(t.describe()).append(' ').append(Json.write(job)).append('\n');
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  /**
   * A trial's job as a HOCON file {@code treeprop train} accepts as it is: every default written out, preceded by
   * {@code header} as comment lines.
   */
  public static String jobFile(Trial trial, List<String> header) {
    String body = ConfigFactory.parseString(trial.job().render()).root().render(ConfigRenderOptions.defaults()
        .setOriginComments(false).setComments(false).setJson(false).setFormatted(true));
    StringBuilder sb = new StringBuilder();
    header.forEach(h -> sb.append("# ").append(h).append('\n'));
    return sb.append(body).toString();
  }

  public TuneSection tune() {
    return tune;
  }

  /** Every trial, in the order they run. */
  public List<Trial> trials() {
    return trials;
  }

  /** The tuned keys, in the grid's order. */
  public List<String> keys() {
    return List.copyOf(tune.grid().keySet());
  }

  /** The metric trials are compared by. */
  public TuneSection.Metric metric() {
    return metric;
  }

  /** Whether a higher metric is better. */
  public boolean maximize() {
    return tune.goalFor(metric) == TuneSection.Goal.MAX;
  }

  /** The folds each trial is scored on: k, or 1 for a held-out split. */
  public int folds() {
    return tune.folds() == 0 ? 1 : tune.folds();
  }

  /** Where the results go: {@code tune.dir}, or {@code tune} beside {@code output.model}. */
  public String dir() {
    return dir;
  }

  /** Identifies the trials and how they are scored; a rerun with the same fingerprint resumes. */
  public String fingerprint() {
    return fingerprint;
  }
}
