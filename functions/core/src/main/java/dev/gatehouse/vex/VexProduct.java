package dev.gatehouse.vex;

import java.util.List;

/**
 * A product a statement is about, optionally narrowed to subcomponents inside it: "in image X,
 * component Y is not affected". Without subcomponents the statement covers the product and
 * everything inside it.
 */
public record VexProduct(ProductId product, List<ProductId> subcomponents) {

    public VexProduct {
        subcomponents = List.copyOf(subcomponents);
    }

    public static VexProduct of(ProductId product) {
        return new VexProduct(product, List.of());
    }

    /** Whether some subcomponent names the component (true when there are none). */
    public boolean coversComponent(ProductIdentity component) {
        if (subcomponents.isEmpty()) {
            return true;
        }
        for (ProductId s : subcomponents) {
            if (s.matches(component)) {
                return true;
            }
        }
        return false;
    }
}
