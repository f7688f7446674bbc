// Temporary until the example recorder lands.
