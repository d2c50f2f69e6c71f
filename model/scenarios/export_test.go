package scenarios

// CheckUnits is checkUnits for the external tests (the goldens).
var CheckUnits = checkUnits
