"""Cost estimation: image size per layer, rebuild cost and workload price, from data tables shipped here."""
