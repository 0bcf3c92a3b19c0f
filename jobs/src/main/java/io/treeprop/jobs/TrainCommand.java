package io.treeprop.jobs;

import io.treeprop.core.loss.Loss;
import io.treeprop.core.model.EpochMetrics;
import io.treeprop.core.model.Json;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.model.TrainingSummary;
import io.treeprop.jobs.config.JobConfig;
import io.treeprop.jobs.data.DataSource;
import io.treeprop.jobs.data.LabelMapping;
import io.treeprop.jobs.data.Scaling;
import io.treeprop.jobs.data.SourceData;
import io.treeprop.jobs.data.SourceSpec;
import io.treeprop.jobs.data.TrainingSource;
import io.treeprop.jobs.score.Reconstruction;
import io.treeprop.spark.data.InputColumns;
import io.treeprop.spark.train.CheckpointConfig;
import io.treeprop.spark.train.ConsoleProgress;
import io.treeprop.spark.train.JsonLinesMetrics;
import io.treeprop.spark.train.SparkTrainConfig;
import io.treeprop.spark.train.SparkTrainer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code treeprop train job.conf}: train, save the model, evaluate on the test data, write the report. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a network as a job config describes; save the model and, with test data, a report.")
final class TrainCommand implements Callable<Integer> {
  /** Seconds between progress lines. */
  static final double PROGRESS_SECONDS = 5;

  @Parameters(index = "0", paramLabel = "CONF", description = "Job config (HOCON), a local or Hadoop path.")
  String conf;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key, e.g. "
      + "--set training.epochs=3 (repeatable; later ones win).")
  List<String> overrides = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Phases phases = new Phases();
    Configuration hadoop = new Configuration();
    JobConfig cfg = JobConfig.load(conf, overrides, hadoop);
    JobConfig.warnings(conf, hadoop).forEach(w -> System.err.println("treeprop: warning: " + w));
    phases.next("Spark", "starting Spark" + (cfg.spark().master() == null ? "" : " (" + cfg.spark().master() + ")"));
    SparkSession spark = Sessions.create("treeprop train " + conf, cfg.spark().master(), cfg.spark().conf());
    try {
      run(spark, cfg, phases);
      phases.end();
    } finally {
      Sessions.stopIfEmbedded(spark);
    }
    return 0;
  }

  /** Trains, saves and evaluates the job in {@code spark}, as {@code treeprop train} does. */
  static void run(SparkSession spark, JobConfig cfg, Phases phases) throws Exception {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    boolean overwrite = cfg.output().overwrite();
    checkOutputs(cfg, hadoop);
    Inputs in = readInputs(spark, cfg, phases);
    SparkTrainConfig trainConfig = cfg.toSparkTrainConfig(in.train().rows());
    if (trainConfig.partitions() == 0) {
      trainConfig = trainConfig.withPartitions(partitions(spark, in.train()));
    }
    SparkTrainer trainer = new SparkTrainer(trainConfig).addListener(new ConsoleProgress(PROGRESS_SECONDS));
    // a checkpoint of another configuration is found now, not after packing
    trainer.checkResumable(in.network(), cfg.model().loss(), trainConfig.partitions(), hadoop);
    if (cfg.output().metrics() != null) {
      trainer.addListener(new JsonLinesMetrics(cfg.output().metrics(), hadoop));
    }
    phases.next("training", "packing the training data and training");
    SourceData prepared = prepare(in.train(), in.scaling(), in.mapping(), cfg.model().reconstruction());
    // an autoencoder's target is its (scaled) input
    InputColumns columns = cfg.model().reconstruction()
        ? new InputColumns(SourceData.FEATURES, SourceData.FEATURES, null) : InputColumns.defaults();
    Model model = trainer.fit(in.network(), cfg.model().loss(), prepared.frame(),
        in.validation() == null ? null : in.scaling().apply(in.validation()).frame(), columns);
    model = withMetadata(model, cfg, in.scaling(), in.mapping(), TrainingSource.of(cfg.data().train(), in.train()));
    phases.next("saving", "saving the model");
    Outputs.saveModel(model, cfg.output().model(), overwrite, hadoop);
    if (cfg.training().checkpoints() != null) {
      Outputs.markFinished(cfg.training().checkpoints().dir(), cfg.output().model(), hadoop);
    }
    System.out.printf("trained %d steps in %.1f s: %s%n", model.summary().steps(), model.summary().seconds(),
        model.summary().stopReason());
    System.out.println(finalMetrics(model.summary()));
    System.out.println("model: " + cfg.output().model());
    if (in.test() != null) {
      phases.next("evaluating", "evaluating on the test data");
      Evaluation.Result r = Evaluation.evaluate(spark, model, in.test(), cfg.output().model(),
          cfg.output().report() != null);
      System.out.println("test " + r.headline());
      if (cfg.output().report() != null) {
        Evaluation.write(spark, r, cfg.output().report(), overwrite, System.out);
      }
    }
  }

  /**
   * Every output can be written and is not taken (unless overwriting); a finished run's checkpoints are cleared
   * (or refused); a report without test data is announced.
   */
  private static void checkOutputs(JobConfig cfg, Configuration hadoop) throws IOException {
    boolean overwrite = cfg.output().overwrite();
    Outputs.requireWritable("output.model", cfg.output().model(), overwrite, hadoop);
    if (cfg.output().report() != null) {
      Outputs.requireWritable("output.report", cfg.output().report(), overwrite, hadoop);
    }
    if (cfg.output().metrics() != null) {
      Outputs.requireWritable("output.metrics", cfg.output().metrics(), overwrite, hadoop);
    }
    CheckpointConfig checkpoints = cfg.training().checkpoints();
    if (checkpoints != null && cfg.training().resume()
        && Outputs.startOverIfFinished(checkpoints.dir(), overwrite, hadoop)) {
      System.err.println("treeprop: the checkpoints in " + checkpoints.dir() + " were of a finished run; starting "
          + "over");
    }
    if (cfg.output().report() != null && cfg.data().test() == null) {
      System.err.println("treeprop: warning: output.report is set but there is no data.test; a report evaluates "
          + "the model on test data, so none will be written (set data.test, or evaluate later with treeprop "
          + "evaluate --report)");
    }
  }

  /** The job's data, read and checked before the first step, with what is fitted on the training data. */
  private record Inputs(SourceData train, NetworkSpec network, LabelMapping mapping, Scaling scaling,
      SourceData validation, SourceData test) {}

  private static Inputs readInputs(SparkSession spark, JobConfig cfg, Phases phases) {
    Loss loss = cfg.model().loss();
    phases.next("reading", "reading and checking " + DataSource.describeSpec(cfg.data().train()));
    boolean reconstruction = cfg.model().reconstruction();
    SourceData train = features(DataSource.read(spark, forTask(cfg.data().train(), reconstruction)), reconstruction);
    System.out.printf("data: %,d rows of %d features from %s%n", train.rows(), train.features(),
        train.description());
    NetworkSpec network = cfg.network(train.features(), train.shape());
    if (cfg.model().input() == null && train.shape() != null) {
      System.out.println("model input: " + network.input() + " (the data's image shape)");
    }
    LabelMapping mapping = null;
    if (!reconstruction && loss.task() != Loss.Task.REGRESSION) {
      mapping = LabelMapping.fit(train);
      Preflight.classes(mapping, loss, network.compile().outputShape().size(), train, System.err);
      Preflight.classNames(cfg.data().classNames(), mapping, train);
    }
    // the test and validation data are read and checked before the first step, so none of it fails after training
    phases.next("checking", "checking the classes, the test and validation data and fitting the scaling");
    SourceData validation = cfg.data().validation() == null ? null : Preflight.sameAsTraining("data.validation",
        features(DataSource.read(spark, forTask(cfg.data().validation(), reconstruction)), reconstruction), train,
        mapping);
    SourceData test = cfg.data().test() == null ? null
        : features(DataSource.read(spark, forTask(cfg.data().test(), reconstruction)), reconstruction);
    if (test != null) {
      Preflight.sameAsTraining("data.test", test, train, mapping);
    }
    return new Inputs(train, network, mapping, cfg.data().scaling().fit(train), validation, test);
  }

  /**
   * With {@code training.partitions = 0}: the source's partitions, or the application's task slots when the source
   * has fewer (small files come as one partition, which would train on one core), never more than the rows. Says
   * what it chose.
   */
  private static int partitions(SparkSession spark, SourceData train) {
    int source = train.frame().rdd().getNumPartitions();
    int slots = slots(spark);
    int chosen = source >= slots ? source : (int) Math.min(slots, train.rows());
    System.out.printf("partitions: %d (%s; set training.partitions to choose)%n", chosen, chosen == source
        ? "as the data comes" : "the application's " + slots + " task slots; the data comes in " + source);
    return chosen;
  }

  /** The application's task slots: its default parallelism over the cores each task takes. */
  static int slots(SparkSession spark) {
    int cpus = Integer.parseInt(spark.conf().get("spark.task.cpus", "1"));
    return Math.max(1, spark.sparkContext().defaultParallelism() / Math.max(1, cpus));
  }

  /**
   * The last epoch's training (and validation) metrics, and which epoch's weights the model holds when early
   * stopping restored the best: e.g. {@code final epoch 10: loss 0.2062, accuracy 0.9246; validation loss 0.3011,
   * accuracy 0.8950}.
   */
  static String finalMetrics(TrainingSummary summary) {
    if (summary.epochs().isEmpty()) {
      return "no epoch ran";
    }
    EpochMetrics e = summary.epochs().get(summary.epochs().size() - 1);
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "final epoch %d: loss %.4f", e.epoch(),
        e.trainLoss()));
    if (e.trainAccuracy() != null) {
      sb.append(String.format(Locale.ROOT, ", accuracy %.4f", e.trainAccuracy()));
    }
    if (e.validationLoss() != null) {
      sb.append(String.format(Locale.ROOT, "; validation loss %.4f", e.validationLoss()));
    }
    if (e.validationAccuracy() != null) {
      sb.append(String.format(Locale.ROOT, ", accuracy %.4f", e.validationAccuracy()));
    }
    if (summary.bestEpoch() != null && summary.bestEpoch() != e.epoch()) {
      sb.append("; the model holds the weights of epoch ").append(summary.bestEpoch());
    }
    return sb.toString();
  }

  /**
   * Scaled features, and labels as class indices (classification) or numbers (regression); an autoencoder's data
   * have no labels.
   */
  static SourceData prepare(SourceData d, Scaling scaling, LabelMapping mapping, boolean reconstruction) {
    SourceData scaled = scaling.apply(d);
    if (reconstruction) {
      return scaled;
    }
    return mapping == null ? DataSource.numericLabels(scaled) : mapping.apply(scaled);
  }

  /**
   * An autoencoder reads image folders as {@code score} does, images anywhere under the root: it needs no classes.
   */
  private static SourceSpec forTask(SourceSpec s, boolean reconstruction) {
    return reconstruction && s != null && s.format().equals(SourceSpec.IMAGES)
        ? SourceSpec.images(s.path(), s.channels(), s.size(), false) : s;
  }

  /** For an autoencoder, the data without labels (an image folder's class names, IDX labels): it learns none. */
  private static SourceData features(SourceData d, boolean reconstruction) {
    return reconstruction && d.labeled() ? d.withFrame(d.frame().select(SourceData.FEATURES)) : d;
  }

  /** Scaling, label mapping (and class names: data.classNames, else the labels), how the data was read and the effective job config. */
  @SuppressWarnings("unchecked")
  static Model withMetadata(Model m, JobConfig cfg, Scaling scaling, LabelMapping mapping,
      TrainingSource source) {
    Map<String, Object> meta = new HashMap<>(m.metadata());
    meta.putAll(scaling.toMetadata());
    meta.putAll(source.toMetadata());
    if (cfg.model().reconstruction()) {
      meta.putAll(Reconstruction.metadata(cfg.model().encodingLayer()));
    }
    List<String> labels = List.of();
    if (mapping != null) {
      meta.putAll(mapping.toMetadata());
      int outputs = m.network().outputShape().size();
      List<String> names = cfg.data().classNames() != null ? cfg.data().classNames() : mapping.labels();
      labels = mapping.size() == outputs ? names : List.of();
    }
    try {
      meta.put("job", Json.mapper().readValue(cfg.render(), Map.class));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot embed the job config", e);
    }
    return new Model(m.spec(), m.params(), m.state(), m.loss(), labels, m.summary(), meta);
  }
}
