package validate

// All returns every built-in case in table order.
func All() []*Case {
	var out []*Case
	out = append(out, poolCases()...)
	out = append(out, schedCases()...)
	out = append(out, goprogCases()...)
	out = append(out, h2cCases()...)
	out = append(out, slowlorisCase())
	out = append(out, throughputCase())
	out = append(out, cpuBoundCases()...)
	out = append(out, gcCases()...)
	out = append(out, muxCases()...)
	out = append(out, dbPoolCases()...)
	out = append(out, downstreamCases()...)
	return out
}
