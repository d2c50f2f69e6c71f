package scenarios

import "github.com/gohttpsim/gohttpsim/model/transport"

// PoolConns appends every open connection of the pool scenario's client
// (transport.Pool.AppendConns: ID order) to dst; it only reads. viz/scene
// detects it by type assertion to draw the pool as lanes.
func (m *poolModel) PoolConns(dst []transport.ConnView) []transport.ConnView {
	return m.pool.AppendConns(dst)
}
