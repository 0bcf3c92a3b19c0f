package io.treeprop.jobs;

import io.treeprop.core.layer.Conv2dLayer;
import io.treeprop.core.layer.Layer;
import io.treeprop.core.layer.LayerSpec;
import io.treeprop.core.layer.ResidualLayer;
import io.treeprop.core.layer.ResidualSpec;
import io.treeprop.core.model.Json;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.param.ParamLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A network as a per-layer table, as Keras's {@code model.summary()} prints it: each layer's name (its parameter
 * scope, e.g. {@code 4}), type, output shape, parameter count and state count; the inner layers of a residual block
 * indented under it with their nested scopes ({@code 4/0}, {@code 4/shortcut}); the totals last. A layer's counts
 * are the sizes of the blocks under its scope in the network's {@link ParamLayout}, so a block's row includes its
 * inner layers' and they add up to the totals.
 */
final class LayerTable {
  private static final String FORMAT = "%-28s %-22s %14s %,12d %,8d";

  private LayerTable() {}

  /** One row: the name is already indented. */
  record Row(String name, String type, String output, long params, long state) {}

  /** The rows of {@code spec}'s layers, inner layers of residual blocks right after their block. */
  static List<Row> rows(NetworkSpec spec) {
    Network net = spec.compile();
    List<Row> rows = new ArrayList<>();
    add(rows, net.layout(), "", 0, spec.layers(), net.layers());
    return rows;
  }

  /** The table's lines: header, rows, rule, totals. */
  static List<String> lines(NetworkSpec spec) {
    Network net = spec.compile();
    List<String> out = new ArrayList<>();
    String header = String.format(Locale.ROOT, "%-28s %-22s %14s %12s %8s", "layer", "type", "output shape",
        "params", "state");
    out.add(header);
    out.add("-".repeat(header.length()));
    out.add(String.format(Locale.ROOT, "%-28s %-22s %14s %12s %8s", "input", "", net.inputShape(), "", ""));
    for (Row r : rows(spec)) {
      out.add(String.format(Locale.ROOT, FORMAT, r.name(), r.type(), r.output(), r.params(), r.state()));
    }
    out.add("-".repeat(header.length()));
    ParamLayout layout = net.layout();
    out.add(String.format(Locale.ROOT, "total: %,d trainable parameters; %,d state numbers (running statistics, "
        + "updated in training, not by gradients)", layout.paramCount(), layout.stateCount()));
    return out;
  }

  private static void add(List<Row> rows, ParamLayout layout, String scope, int depth, List<LayerSpec> specs,
      List<Layer> layers) {
    String indent = "  ".repeat(depth);
    for (int i = 0; i < layers.size(); i++) {
      String name = scope + i;
      Layer layer = layers.get(i);
      LayerSpec spec = specs.get(i);
      rows.add(new Row(indent + name, typeName(spec), layer.outputShape().toString(), count(layout.paramBlocks(),
          name), count(layout.stateBlocks(), name)));
      if (layer instanceof ResidualLayer r && spec instanceof ResidualSpec rs) {
        add(rows, layout, name + "/", depth + 1, rs.layers(), r.body().layers());
        if (r.shortcut() != null) {
          String s = name + "/shortcut";
          String type = r.shortcut() instanceof Conv2dLayer ? "conv2d 1x1 (shortcut)" : "dense (shortcut)";
          rows.add(new Row(indent + "  " + s, type, r.shortcut().outputShape().toString(),
              count(layout.paramBlocks(), s), count(layout.stateBlocks(), s)));
        }
      }
    }
  }

  /** The spec's JSON type name, e.g. {@code conv2d}; an activation's function too ({@code activation relu}). */
  private static String typeName(LayerSpec spec) {
    var tree = Json.mapper().valueToTree(spec);
    String type = tree.path("type").asText("?");
    return spec instanceof LayerSpec.Activation ? type + " " + tree.path("function").asText("") : type;
  }

  /** The size of every block in {@code scope} or below it. */
  private static long count(List<ParamLayout.Block> blocks, String scope) {
    String prefix = scope + "/";
    long n = 0;
    for (ParamLayout.Block b : blocks) {
      if (b.name().startsWith(prefix)) {
        n += b.size();
      }
    }
    return n;
  }
}
