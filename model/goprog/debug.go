package goprog

const debugVM = false
