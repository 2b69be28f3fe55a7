package org.slt4j.cli;

/**
 * Which trailing columns of a CSV row are labels: one class index ({@code --classes C}, turned into a one-hot
 * vector of width C) or K regression targets ({@code --targets K}).
 */
final class LabelColumns {
    private final int classes;
    private final int targets;

    private LabelColumns(int classes, int targets) {
        this.classes = classes;
        this.targets = targets;
    }

    /** The last column is a class index in [0, classes). */
    static LabelColumns classes(int classes) {
        if (classes < 2) {
            throw new BadInputException("--classes must be >= 2 (got: " + classes + ")");
        }
        return new LabelColumns(classes, 0);
    }

    /** The last {@code targets} columns are regression targets. */
    static LabelColumns targets(int targets) {
        if (targets < 1) {
            throw new BadInputException("--targets must be >= 1 (got: " + targets + ")");
        }
        return new LabelColumns(0, targets);
    }

    boolean isClassification() {
        return classes > 0;
    }

    /** Number of CSV columns holding labels. */
    int csvColumns() {
        return isClassification() ? 1 : targets;
    }

    /** Width of the label array the network sees. */
    int width() {
        return isClassification() ? classes : targets;
    }

    /** How the option was given, for messages. */
    String describe() {
        return isClassification() ? "--classes " + classes : "--targets " + targets;
    }
}
