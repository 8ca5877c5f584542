package org.likeness.eval.pairs;

import java.nio.file.Path;

/**
 * Two images to compare.
 *
 * @param same whether they show the same person; null when unknown (plain verification lists)
 * @param fold the cross-validation fold the pair belongs to (0 when the layout has none)
 */
public record Pair(Path a, Path b, Boolean same, int fold) {}
