"""cloudcanvas: live architecture diagrams of Azure subscriptions."""
