package validate

func h2cCases() []*Case { return nil }
