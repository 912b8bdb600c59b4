import nock from 'nock';

// Tests never touch the network: anything nock does not intercept fails at once.
beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());
