package dev.gatehouse.sbom;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Looks components of one inventory up by ref and by package URL. Built once per inventory: VEX
 * statements and scanner findings are matched against it many times.
 */
public final class ComponentIndex {

    private final Map<String, Component> byRef = new HashMap<>();
    private final Map<String, List<Component>> byCoordinates = new HashMap<>();

    private ComponentIndex(Inventory inventory) {
        for (Component c : inventory.components()) {
            byRef.putIfAbsent(c.ref(), c);
            if (c.purl() != null) {
                byCoordinates.computeIfAbsent(c.purl().coordinates(), k -> new ArrayList<>(1)).add(c);
            }
        }
    }

    public static ComponentIndex of(Inventory inventory) {
        return new ComponentIndex(inventory);
    }

    public Optional<Component> byRef(String ref) {
        return Optional.ofNullable(byRef.get(ref));
    }

    /**
     * Every component whose purl the given purl covers (see {@link PackageUrl#covers}): a
     * version-less purl matches all versions, qualifiers must be a subset.
     */
    public List<Component> coveredBy(PackageUrl purl) {
        List<Component> candidates = byCoordinates.get(purl.coordinates());
        if (candidates == null) {
            return List.of();
        }
        List<Component> matches = new ArrayList<>(candidates.size());
        for (Component c : candidates) {
            if (purl.covers(c.purl())) {
                matches.add(c);
            }
        }
        return matches;
    }
}
