"""What every driftgate hook shares: findings, output, config, files, git, suppressions.

Kept import-cheap: nothing here imports a third-party library at module level.
"""
