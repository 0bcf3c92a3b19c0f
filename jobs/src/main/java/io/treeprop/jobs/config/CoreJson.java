package io.treeprop.jobs.config;

import static io.treeprop.jobs.config.ConfigErrors.describe;
import static io.treeprop.jobs.config.ConfigErrors.where;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import io.treeprop.core.model.Json;
import io.treeprop.core.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Reads the parts of a config that are core types (layers, loss, optimizer, schedule, early stopping, input shape)
 * with core's strict mapper, so their rules live in one place: the HOCON value is rendered as JSON and handed to
 * {@link Json#mapper()}. Jackson's errors are re-worded with the full config path, the value found, what is allowed
 * and where in the file the value came from.
 */
final class CoreJson {
  private static final Set<Class<?>> INTEGERS = Set.of(int.class, Integer.class, long.class, Long.class);
  private static final Set<Class<?>> NUMBERS = Set.of(float.class, Float.class, double.class, Double.class);

  private CoreJson() {}

  /** Reads {@code value} (found at {@code path}) as {@code type}. */
  static <T> T read(String path, ConfigValue value, Class<T> type) {
    return read(path, value, Json.mapper().constructType(type));
  }

  /** Reads {@code value} (found at {@code path}) as {@code type}, e.g. a list of layer specs. */
  static <T> T read(String path, ConfigValue value, JavaType type) {
    try {
      return Json.mapper().readValue(value.render(ConfigRenderOptions.concise()), type);
    } catch (JsonProcessingException e) {
      throw explain(path, value, e);
    }
  }

  /** A core value as a JSON tree, with its {@code type} property (nested in a plain map Jackson would drop it). */
  static JsonNode tree(Object coreValue) {
    return Json.mapper().valueToTree(coreValue);
  }

  /** The JSON names of a polymorphic core type's subtypes, e.g. {@code [dense, activation, dropout, noise]}. */
  static List<String> typeNames(Class<?> base) {
    JsonSubTypes sub = base.getAnnotation(JsonSubTypes.class);
    return sub == null ? List.of() : Arrays.stream(sub.value()).map(JsonSubTypes.Type::name).toList();
  }

  private static IllegalArgumentException explain(String base, ConfigValue root, JsonProcessingException e) {
    StringBuilder full = new StringBuilder(base);
    ConfigValue at = root;
    ConfigValue parent = null;
    String lastKey = base.substring(base.lastIndexOf('.') + 1);
    List<JsonMappingException.Reference> refs = e instanceof JsonMappingException m ? m.getPath() : List.of();
    for (JsonMappingException.Reference r : refs) {
      parent = at;
      if (r.getFieldName() != null) {
        full.append('.').append(r.getFieldName());
        lastKey = r.getFieldName();
        at = at instanceof ConfigObject o ? o.get(r.getFieldName()) : null;
      } else if (r.getIndex() >= 0) {
        full.append('[').append(r.getIndex()).append(']');
        at = at instanceof ConfigList l && r.getIndex() < l.size() ? l.get(r.getIndex()) : null;
      }
    }
    String origin = where((at != null ? at : parent != null ? parent : root).origin());
    return new IllegalArgumentException(reason(full.toString(), lastKey, at, parent, e) + origin, e);
  }

  private static String reason(String full, String lastKey, ConfigValue at, ConfigValue parent,
      JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      List<String> allowed = new ArrayList<>();
      if (parent instanceof ConfigObject o && o.containsKey("type")) {
        allowed.add("type");
      }
      u.getKnownPropertyIds().forEach(k -> allowed.add(String.valueOf(k)));
      return ConfigErrors.unknownKey(full, u.getPropertyName(), allowed);
    }
    if (e instanceof InvalidTypeIdException t) {
      List<String> names = typeNames(t.getBaseType().getRawClass());
      if (!(at instanceof ConfigObject)) {
        return full + ": expected an object with a type (one of " + String.join(", ", names) + "), got "
            + describe(at);
      }
      Object id = at instanceof ConfigObject o && o.get("type") != null ? o.get("type").unwrapped() : null;
      return id == null ? "missing required key " + full + ".type: one of " + String.join(", ", names)
          : full + ".type: \"" + id + "\" is not one of " + String.join(", ", names);
    }
    if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException cause) {
      List<String> aliases = new ArrayList<>(List.of(lastKey));
      if (at instanceof ConfigObject o && o.get("type") != null) {
        aliases.add(String.valueOf(o.get("type").unwrapped()));
      }
      return ConfigErrors.rewrite(full, aliases, cause.getMessage());
    }
    if (e instanceof MismatchedInputException m) {
      if (m.getOriginalMessage().startsWith("Cannot map `null`")) {
        return "missing required key " + full;
      }
      if (m.getTargetType() != null) {
        return full + ": expected " + expected(m.getTargetType()) + ", got " + describe(at);
      }
    }
    return full + ": " + e.getOriginalMessage();
  }

  /** What a user has to write for a Java type. */
  private static String expected(Class<?> type) {
    if (INTEGERS.contains(type)) {
      return "an integer";
    }
    if (NUMBERS.contains(type)) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Shape.class) {
      return "a list of 1 or 3 positive integers, e.g. [784] or [1, 28, 28]";
    }
    if (type.isEnum()) {
      return "one of " + String.join(", ", enumNames(type));
    }
    if (Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    List<String> names = typeNames(type);
    return names.isEmpty() ? "an object" : "an object with a type, one of " + String.join(", ", names);
  }

  private static List<String> enumNames(Class<?> type) {
    List<String> names = new ArrayList<>();
    for (Object c : type.getEnumConstants()) {
      String name = ((Enum<?>) c).name();
      try {
        JsonProperty p = type.getField(name).getAnnotation(JsonProperty.class);
        names.add(p != null ? p.value() : name);
      } catch (NoSuchFieldException impossible) {
        throw new IllegalStateException(impossible);
      }
    }
    return names;
  }
}
