import { readSettings } from './settings';

describe('readSettings', () => {
  const primary = 'postgres://app:secret@db-primary:5432/commissions';

  it('has no read replica by default', () => {
    expect(readSettings({}).databaseReadUrl).toBeNull();
    expect(readSettings({ DATABASE_URL: primary, DATABASE_READ_URL: '  ' }).databaseReadUrl).toBeNull();
  });

  it('takes DATABASE_READ_URL beside DATABASE_URL', () => {
    const settings = readSettings({
      DATABASE_URL: primary,
      DATABASE_READ_URL: ' postgresql://app:secret@db-replica:5432/commissions?application_name=x ',
    });
    expect(settings.databaseUrl).toBe(primary);
    expect(settings.databaseReadUrl).toBe('postgresql://app:secret@db-replica:5432/commissions?application_name=x');
  });

  it('refuses a DATABASE_READ_URL that is not a PostgreSQL URL, without echoing it', () => {
    for (const bad of ['db-replica:5432', 'mysql://app:secret@db/x', 'http://db/x']) {
      let message = '';
      try {
        readSettings({ DATABASE_URL: primary, DATABASE_READ_URL: bad });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/DATABASE_READ_URL must be a postgres/);
      expect(message).not.toContain('secret');
    }
  });

  it('refuses DATABASE_READ_URL without DATABASE_URL (an embedded start has no replica)', () => {
    expect(() => readSettings({ DATABASE_READ_URL: 'postgres://db-replica/commissions' })).toThrow(
      /DATABASE_READ_URL is set but DATABASE_URL is not/,
    );
  });
});
