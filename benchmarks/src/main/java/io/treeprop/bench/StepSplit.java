package io.treeprop.bench;

import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.spark.data.InputColumns;
import io.treeprop.spark.train.Exchange;
import io.treeprop.spark.train.SparkTrainConfig;
import io.treeprop.spark.train.SparkTrainer;
import io.treeprop.spark.train.StepReport;
import io.treeprop.spark.train.StepTiming;
import io.treeprop.spark.train.TrainingListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Treeprop's per-step time split (scheduling, sending the weights, compute, aggregation, driver update; medians over
 * one epoch, its first quarter dropped) at several batch sizes, and compute against the sgemm ceiling of the step's
 * own matrix products ({@link Products}, {@link Ceiling}) for one partition's share of the batch.
 */
final class StepSplit {
  private StepSplit() {}

  /**
   * One row per batch size.
   *
   * @param steps the epoch's length in steps (the first {@code steps · batch} rows), or 0 for all of {@code train}
   */
  static List<Map<String, Object>> of(Dataset<Row> train, Exchange exchange, String netName, int[] batches,
      int steps) {
    NetworkSpec net = Nets.of(netName);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int b : batches) {
      Dataset<Row> data = steps > 0 ? train.limit(steps * b).repartition(2).cache() : train;
      List<StepTiming> t = new ArrayList<>();
      TrainConfig cfg = new TrainConfig(1, b, 42, new Updater(new Optimizers.Adam(1e-3f)), 0, null);
      new SparkTrainer(SparkTrainConfig.of(cfg).withExchange(exchange)).addListener(new TrainingListener() {
        @Override
        public void onStep(StepReport s) {
          t.add(s.timing());
        }
      }).fit(net, new Losses.CategoricalCrossEntropy(), data, null, InputColumns.defaults());
      if (steps > 0) {
        data.unpersist();
      }
      rows.add(row(netName, exchange, b, t));
    }
    return rows;
  }

  private static Map<String, Object> row(String net, Exchange exchange, int b, List<StepTiming> t) {
    List<StepTiming> w = t.subList(t.size() / 4, t.size());
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("net", net);
    r.put("exchange", exchange.jsonName());
    r.put("batch_size", b);
    r.put("steps", t.size());
    r.put("scheduling_ms", median(w, StepTiming::scheduling));
    r.put("broadcast_ms", median(w, StepTiming::broadcast));
    r.put("compute_ms", median(w, StepTiming::compute));
    r.put("aggregate_ms", median(w, StepTiming::aggregate));
    r.put("driver_update_ms", median(w, StepTiming::driverUpdate));
    double total = median(w, StepTiming::total);
    r.put("total_ms", total);
    double[] totals = w.stream().mapToDouble(StepTiming::total).sorted().toArray();
    r.put("total_p10_ms", totals[totals.length / 10]);
    r.put("total_p90_ms", totals[totals.length * 9 / 10]);
    double compute = median(w, StepTiming::compute);
    r.put("compute_share", compute / total);
    // the exchange: everything but the tasks' compute and the driver's update, per step, then the median
    ToDoubleFunction<StepTiming> exchanged = s -> s.scheduling() + s.broadcast() + s.aggregate();
    r.put("exchange_ms", median(w, exchanged));
    r.put("exchange_share", median(w, s -> exchanged.applyAsDouble(s) / s.total()));
    List<Products.Gemm> products = Products.of(Nets.of(net), b / 2);
    double atCeiling = Ceiling.millis(products);
    r.put("products_gflop_per_partition", Products.flops(products) / 1e9);
    r.put("sgemm_gflops_ceiling_per_partition", Products.flops(products) / atCeiling / 1e6);
    r.put("compute_at_ceiling_ms", atCeiling);
    r.put("compute_vs_ceiling", atCeiling / compute);
    System.out.println("split " + r);
    return r;
  }

  private static double median(List<StepTiming> l, ToDoubleFunction<StepTiming> f) {
    return EndToEnd.median(l.stream().mapToDouble(f).toArray());
  }
}
