package io.deepcanvas.engine.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of one subcommand: positionals, {@code --name value} (or {@code --name=value}) options and
 * {@code --flag} switches, checked against what the command accepts. Every problem is a {@link CliException}
 * with exit code 2 whose message names the option, the value and what is expected.
 */
final class Args {
    private final List<String> positionals = new ArrayList<>();
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();
    private List<String> raw = List.of();

    /** The arguments as given, for a command that parses its own (bench). */
    static Args unparsed(List<String> args) {
        Args a = new Args();
        a.raw = List.copyOf(args);
        return a;
    }

    List<String> raw() {
        return raw;
    }

    /**
     * Parses {@code args} for a command that takes the options {@code valueOptions} (each followed by a value)
     * and the switches {@code flagOptions}; names include the leading {@code --}.
     */
    static Args parse(List<String> args, Set<String> valueOptions, Set<String> flagOptions) {
        Args a = new Args();
        a.raw = List.copyOf(args);
        boolean onlyPositionals = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (onlyPositionals || !arg.startsWith("-") || arg.equals("-")) {
                a.positionals.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                onlyPositionals = true;
                continue;
            }
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            if (flagOptions.contains(name)) {
                if (inline != null) {
                    throw CliException.usage(name + " takes no value, got '" + inline + "'");
                }
                a.flags.add(name);
            } else if (valueOptions.contains(name)) {
                String value = inline;
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw CliException.usage(name + " needs a value");
                    }
                    String next = args.get(i + 1);
                    // "--epochs --steps 1": the value is missing, not "--steps"; say so rather than blame "1"
                    if (valueOptions.contains(optionName(next)) || flagOptions.contains(optionName(next))) {
                        throw CliException.usage(name + " needs a value, but the option " + next + " follows it");
                    }
                    value = args.get(++i);
                }
                if (a.values.put(name, value) != null) {
                    throw CliException.usage(name + " is given twice");
                }
            } else {
                throw CliException.usage("unknown option '" + name + "'" + suggestion(name, valueOptions,
                        flagOptions) + "; see 'deepcanvas help'");
            }
        }
        return a;
    }

    /** {@code --epochs} of {@code --epochs=3}. */
    private static String optionName(String arg) {
        int eq = arg.indexOf('=');
        return arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
    }

    private static String suggestion(String name, Set<String> valueOptions, Set<String> flagOptions) {
        List<String> all = new ArrayList<>(valueOptions);
        all.addAll(flagOptions);
        String best = nearest(name, all);
        return best == null ? "" : " (did you mean " + best + "?)";
    }

    /** The candidate {@code name} is a typo of (at most two edits away), or null: a near miss, not another word. */
    static String nearest(String name, java.util.Collection<String> candidates) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : candidates) {
            int d = editDistance(name, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The single positional argument, named {@code what} in the error when it is missing or repeated. */
    String onePositional(String what) {
        if (positionals.isEmpty()) {
            throw CliException.usage("missing " + what);
        }
        if (positionals.size() > 1) {
            throw CliException.usage("expected one " + what + ", got " + positionals.size() + ": "
                    + String.join(" ", positionals));
        }
        return positionals.get(0);
    }

    void noPositionals() {
        if (!positionals.isEmpty()) {
            throw CliException.usage("unexpected argument '" + positionals.get(0) + "'");
        }
    }

    boolean has(String option) {
        return values.containsKey(option) || flags.contains(option);
    }

    boolean flag(String option) {
        return flags.contains(option);
    }

    String string(String option) {
        return values.get(option);
    }

    Path path(String option) {
        String v = values.get(option);
        if (v == null) {
            return null;
        }
        if (v.isBlank()) {
            throw CliException.usage(option + " needs a file or folder name, got an empty value");
        }
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            throw CliException.usage(option + " is not a valid path: '" + v + "'");
        }
    }

    Path requiredPath(String option) {
        Path p = path(option);
        if (p == null) {
            throw CliException.usage("missing " + option + " FILE");
        }
        return p;
    }

    /** A positive int, or null when the option is absent. */
    Integer positiveInt(String option) {
        String v = values.get(option);
        if (v == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the value
        }
        throw CliException.usage(option + " must be a positive integer, got '" + v + "'");
    }

    /** Any long (seeds may be negative or zero), or null when absent. */
    Long anyLong(String option) {
        String v = values.get(option);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw CliException.usage(option + " must be an integer, got '" + v + "'");
        }
    }

    /** A finite positive number, or null when absent. */
    Double positiveNumber(String option) {
        String v = values.get(option);
        if (v == null) {
            return null;
        }
        try {
            double x = Double.parseDouble(v.trim());
            if (x > 0 && Double.isFinite(x)) {
                return x;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the value
        }
        throw CliException.usage(option + " must be a positive number, got '" + v + "'");
    }

    /** One of {@code choices} (case-insensitive, returned in lower case), or null when absent. */
    String choice(String option, List<String> choices) {
        String v = values.get(option);
        if (v == null) {
            return null;
        }
        String lower = v.trim().toLowerCase(Locale.ROOT);
        if (!choices.contains(lower)) {
            throw CliException.usage(option + " must be one of " + String.join(", ", choices) + ", got '" + v
                    + "'");
        }
        return lower;
    }
}
