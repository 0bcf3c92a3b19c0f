package io.treeprop.jobs;

import io.treeprop.core.loss.Loss;
import io.treeprop.jobs.data.DataSource;
import io.treeprop.jobs.data.LabelMapping;
import io.treeprop.jobs.data.SourceData;
import java.io.PrintStream;
import java.util.List;

/**
 * The checks {@code train} makes before the first step, so that nothing the job could know up front fails after
 * training: the classes in the data against the loss and the output layer, and the test and validation data
 * against the training data (feature count, labels the model will know).
 */
final class Preflight {
  private static final int SHOWN = 8;

  private Preflight() {}

  /**
   * The training classes against the output layer.
   *
   * @param outputs the network's output size
   * @throws IllegalArgumentException for one class, or more classes than the outputs can tell apart, in the
   *     data's own labels
   */
  static void classes(LabelMapping mapping, Loss loss, int outputs, SourceData train, PrintStream warnings) {
    int k = mapping.size();
    if (k < 2) {
      throw new IllegalArgumentException(train.description() + ": every row has the label " + shown(mapping.labels())
          + "; a classifier needs at least two classes (is labelColumn the right column?)");
    }
    boolean multiclass = loss.task() == Loss.Task.MULTICLASS;
    int capacity = multiclass ? outputs : 2;
    String layer = multiclass ? "the output layer has " + outputs + " units"
        : "a " + loss.name() + " output tells 2 classes apart";
    if (k > capacity) {
      String fix = multiclass ? "give the last dense layer " + k + " units" : "use categorical_cross_entropy with "
          + "a " + k + "-unit softmax output";
      throw new IllegalArgumentException(train.description() + ": the data has " + k + " classes "
          + shown(mapping.labels()) + " but " + layer + "; " + fix + (mapping.numeric() && k > 20
          ? " (or, if the label is a number to predict, a regression loss such as mse)" : ""));
    }
    if (multiclass && k < outputs) {
      warnings.println("treeprop: warning: the data has " + k + " classes " + shown(mapping.labels()) + " but the "
          + "output layer has " + outputs + " units; " + (outputs - k) + " will never be the answer");
    }
  }

  /**
   * Test or validation data against the training data: the same feature count, and (classification) only labels
   * seen in training; regression targets must be numbers. Returns the data with labels as the trainer reads them.
   *
   * @param key the config key naming the data, e.g. {@code data.test}
   * @param mapping the training label mapping, null for regression
   */
  static SourceData sameAsTraining(String key, SourceData data, SourceData train, LabelMapping mapping) {
    if (data.shape() != null && train.shape() != null && !data.shape().equals(train.shape())) {
      throw new IllegalArgumentException(key + ": " + data.description() + " holds images of shape " + data.shape()
          + " but the training data's are " + train.shape() + "; give both the same channels and size");
    }
    if (data.features() != train.features()) {
      throw new IllegalArgumentException(key + ": " + data.description() + " has " + data.features() + " features "
          + "per row but the training data has " + train.features() + "; both must have the same columns");
    }
    try {
      if (mapping == null) {
        return data.labeled() ? DataSource.numericLabels(data) : data; // an autoencoder's data need no labels
      }
      return mapping.apply(data);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code data.classNames} (when given) names each class of a numeric label mapping, one name per class.
   *
   * @throws IllegalArgumentException for names of string labels (they are names already), or another count
   */
  static void classNames(List<String> names, LabelMapping mapping, SourceData train) {
    if (names == null) {
      return;
    }
    if (!mapping.numeric()) {
      throw new IllegalArgumentException("data.classNames: the labels of " + train.description() + " are names "
          + "already " + shown(mapping.labels()) + "; classNames is for numeric labels (e.g. IDX), remove it");
    }
    if (names.size() != mapping.size()) {
      throw new IllegalArgumentException("data.classNames lists " + names.size() + " names but "
          + train.description() + " has " + mapping.size() + " classes " + shown(mapping.labels()) + "; give one "
          + "name per class, in label order");
    }
  }

  private static String shown(List<String> labels) {
    if (labels.size() <= SHOWN) {
      return "(" + String.join(", ", labels) + ")";
    }
    return "(" + String.join(", ", labels.subList(0, SHOWN - 2)) + " … " + labels.get(labels.size() - 1) + ")";
  }
}
